package projections

// takeRow stores r in a free row of rows (the last one listed in free), or
// appends it, and returns its index. The compact read models keep their
// records in such slices, linked by index, and list the rows of deleted
// records in free for reuse.
func takeRow[R any, I int32 | uint32](rows *[]R, free *[]I, r R) I {
	if n := len(*free); n > 0 {
		i := (*free)[n-1]
		*free = (*free)[:n-1]
		(*rows)[i] = r
		return i
	}
	*rows = append(*rows, r)
	return I(len(*rows) - 1)
}
