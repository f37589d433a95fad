"""The services register's views, split like its models: catalogue, applications."""
