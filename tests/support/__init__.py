"""What the tests share: real services, apps, a world of councils and people, clients and receivers."""
