"""The services register's selectors, split like its models: catalogue, applications."""
