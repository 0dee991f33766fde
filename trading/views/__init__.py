"""Pages of the trading hub."""
