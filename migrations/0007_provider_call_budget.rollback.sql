DROP TABLE provider_call_budget;
