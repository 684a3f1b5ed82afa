"""Mission layer: scenario files, the replay that composes the domains, and the timeline."""
