"""The services register's filters, split like its models: catalogue, applications."""
