"""Who may call genguard: API keys and the roles they carry."""
