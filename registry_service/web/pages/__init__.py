"""The pages, one module per flow; each adds its routes to a `WebRoutes`."""
