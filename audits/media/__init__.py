"""Media checks: what each page makes a visitor download, and what it costs on slow or prepaid mobile data."""
