-- description: return the books due before 2026, lost in the move, as late
-- skippable: true

-- @write library:write:return-book
SELECT json_object('bookId', book_id, 'late', json('true')) AS payload
FROM loans
WHERE due_on < '2026-01-01';
