"""filters of the services register: catalogue."""
