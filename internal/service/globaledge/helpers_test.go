package globaledge_test

import (
	"fmt"
	gostrconv "strconv"
)

// strconv reads an ID kept as a string in state.
func strconv(s string) (int64, error) {
	n, err := gostrconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("ID %q: %w", s, err)
	}
	return n, nil
}
