"""What the API and the console share, below both: coded errors over HTTP, strict request bodies,
path parameters and the typed service accessors. The API mounts the console, so the console may
not import the API; both import this package instead."""
