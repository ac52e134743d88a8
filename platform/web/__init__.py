"""Server-rendered pages (Jinja, Flask-WTF forms), Turkish by default."""
