-- description: trim the spaces the old catalogue left around book titles

-- @write library:write:retitle-book
SELECT json_object('bookId', id, 'title', trim(title)) AS payload
FROM books
WHERE title <> trim(title) AND trim(title) <> '';
