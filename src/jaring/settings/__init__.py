"""Settings of a deployment that people change from the pages: the time zone each region's
times are shown in (WIB, WITA, WIT), by default the zone of its province."""
