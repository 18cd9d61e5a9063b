"""Graph -> coordinates: swimlane grids for workflows and the lifecycle map. Pure geometry, no
SVG: boxes, polylines and positioned text lines that tests can check and writers draw."""
