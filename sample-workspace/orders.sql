-- Revenue per customer over the last 30 days, best customers first.
SELECT c.id,
       c.name,
       SUM(o.total) AS revenue,
       COUNT(*) AS orders
FROM customers c
JOIN orders o ON o.customer_id = c.id
WHERE o.created_at >= CURRENT_DATE - INTERVAL '30 days'
GROUP BY c.id, c.name
ORDER BY revenue DESC;
