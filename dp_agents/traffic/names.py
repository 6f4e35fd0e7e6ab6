"""Names and grid constants of the traffic data, import-light for the serving steps."""

METR = "metr-la"
NAB = "nab-realtraffic"
METR_START = "2012-03-01"  # los_speed.csv has no timestamp column: row 0 is this midnight
STEP = "5min"
STEP_MINUTES = 5
STEPS_PER_DAY = 288
NAB_SENSORS = ("6005", "t4013")  # the two MnDOT sensors with both speed and occupancy
