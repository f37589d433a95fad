"""Admin of the catalogue: matters, materials, bundles, agreements."""
