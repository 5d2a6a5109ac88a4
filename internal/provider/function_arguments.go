package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// parseListArgument parses every element of the list argument at position index
// (named name) with parse. A null element, or one that does not parse, is an error
// on that argument naming the element; expected says what a null one should be.
func parseListArgument[T any](index int64, name, expected string, values []types.String, parse func(string) (T, error)) ([]T, *function.FuncError) {
	out := make([]T, 0, len(values))
	for i, v := range values {
		if v.IsNull() {
			return nil, function.NewArgumentFuncError(index, fmt.Sprintf("%s[%d] is null; expected %s", name, i, expected))
		}
		parsed, err := parse(v.ValueString())
		if err != nil {
			return nil, function.NewArgumentFuncError(index, fmt.Sprintf("%s[%d]: %s", name, i, err))
		}
		out = append(out, parsed)
	}
	return out, nil
}
