"""Device drivers, transports and simulators (nothing here imports the UI)."""
