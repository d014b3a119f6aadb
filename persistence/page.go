package persistence

import "github.com/juta-app/juta"

// Lists page newest first by id: each query fetches limit+1 rows, and the
// extra one says whether another page follows.

// pageOf trims the extra row fetched to learn whether another page follows.
func pageOf[T any](items []T, limit int, id func(T) int64) juta.Page[T] {
	page := juta.Page[T]{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		page.NextCursor = encodeCursor(id(page.Items[limit-1]))
	}
	if page.Items == nil {
		page.Items = []T{}
	}
	return page
}

func messageID(m juta.Message) int64 { return m.ID }
