"""REST and WebSocket routers, a module per lesson."""
