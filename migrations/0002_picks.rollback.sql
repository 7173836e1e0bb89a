DROP TABLE picks;
