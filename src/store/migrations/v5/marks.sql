-- Version 5, price marks graded on a grid of 0.01% (see domain::pricing::Mark): a month keeps a few
-- thousand values whatever the number of distinct prices. The exact values of version 4 grade by
-- arithmetic alone. A discount mark held the ratio x in millionths: 2 × floor(x / 100), plus 1 when
-- x is not a multiple of 100. An off-list mark held 2w + r (w whole millionths, r a part left over):
-- 2 × floor(w / 100), plus 1 when w is not a multiple of 100 or r was 1.
CREATE TEMP TABLE graded_marks AS
SELECT month, mark,
       CASE mark
           WHEN 'off_list' THEN 2 * ((value / 2) / 100) + (((value / 2) % 100) <> 0 OR value % 2 = 1)
           WHEN 'discount' THEN 2 * (value / 100) + (value % 100 <> 0)
           WHEN 'unapproved_discount' THEN 2 * (value / 100) + (value % 100 <> 0)
           ELSE value
       END AS value,
       SUM(lines) AS lines
FROM price_marks_monthly GROUP BY 1, 2, 3;
DELETE FROM price_marks_monthly;
INSERT INTO price_marks_monthly (month, mark, value, lines)
SELECT month, mark, value, lines FROM graded_marks WHERE lines <> 0;
DROP TABLE graded_marks;
