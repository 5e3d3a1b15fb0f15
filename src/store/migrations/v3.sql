-- Version 3: `off_list` is a net unit price above the list price (a price below list is a discount,
-- judged by the discount rules alone). The off-list price marks are recomputed by the Rust step.
DELETE FROM price_marks_monthly WHERE mark = 'off_list';
