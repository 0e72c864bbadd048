package events

// The JSON scanning the fast decoder (codec.go) needs: enough to find where
// a value ends and to read the plain literals it sets directly. It does not
// validate what it skips; json.Unmarshal of the extent does.

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

func hasLiteral(data []byte, i int, lit string) bool {
	return len(data)-i >= len(lit) && string(data[i:i+len(lit)]) == lit
}

// plainBytes reads a JSON string at data[i] made of printable ASCII
// without escapes (the only strings whose bytes are their value) and
// returns the bytes between the quotes, not copied.
func plainBytes(data []byte, i int) ([]byte, int, bool) {
	if i >= len(data) || data[i] != '"' {
		return nil, 0, false
	}
	for j := i + 1; j < len(data); j++ {
		switch c := data[j]; {
		case c == '"':
			return data[i+1 : j], j + 1, true
		case c < 0x20 || c >= 0x7f || c == '\\':
			return nil, 0, false
		}
	}
	return nil, 0, false
}

// jsonInteger returns the end of an integer in JSON's number grammar
// (-?(0|[1-9][0-9]*)) at data[i], not followed by a fraction or exponent.
func jsonInteger(data []byte, i int) (int, bool) {
	j := i
	if j < len(data) && data[j] == '-' {
		j++
	}
	start := j
	for j < len(data) && '0' <= data[j] && data[j] <= '9' {
		j++
	}
	if j == start || data[start] == '0' && j-start > 1 {
		return 0, false
	}
	if j < len(data) && (data[j] == '.' || data[j] == 'e' || data[j] == 'E') {
		return 0, false
	}
	return j, true
}

// skipValue returns the end of the JSON value at data[i]: strings with
// their escapes, objects and arrays with nesting. It does not validate;
// json.Unmarshal of the extent does.
func skipValue(data []byte, i int) (int, bool) {
	depth := 0
	for j := i; j < len(data); j++ {
		switch data[j] {
		case '"':
			for j++; j < len(data) && data[j] != '"'; j++ {
				if data[j] == '\\' {
					j++
				}
			}
			if j >= len(data) {
				return 0, false
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return j, j > i
			}
			depth--
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return j, j > i
			}
		}
		if depth == 0 && (data[j] == '"' || data[j] == '}' || data[j] == ']') {
			return j + 1, true
		}
	}
	return len(data), depth == 0 && len(data) > i
}
