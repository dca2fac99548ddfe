"""The ground floor: errors, data warnings, the window and calendar, the engine choice, metric
declarations and Spark sessions. It imports nothing else of csmetrics."""
