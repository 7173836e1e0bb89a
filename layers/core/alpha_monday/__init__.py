"""Alpha Monday: weekly stock picks by a language model, tracked against SPY for two weeks."""
