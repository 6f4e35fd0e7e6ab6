"""License plate recognition: synthetic plates, preprocessing, OCR, vehicle registry."""
