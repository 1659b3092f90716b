"""Records between people: bundles (export, verify, plan and apply an import), import from the text
of published forms and from xlsx, and git's merge and diff drivers."""
