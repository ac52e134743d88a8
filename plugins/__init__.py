"""Built-in plugins (assemblies); see the plugin issue."""
