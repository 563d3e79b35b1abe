"""Display logic for evaluation pages (one module per area), so templates stay simple."""
