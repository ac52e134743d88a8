"""Built-in plugins (assemblies): each folder here is one, found by its folder's name (docs/plugins.md)."""
