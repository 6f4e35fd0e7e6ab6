"""Traffic flow prediction: data in place, lag models, training, serving steps."""
