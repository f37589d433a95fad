"""selectors of the services register: catalogue."""
