// Package archtest holds tests of the code base's own rules, such as which
// packages may import which.
package archtest
