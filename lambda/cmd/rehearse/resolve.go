package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// account is moto's.
const account = "123456789012"

// resolver evaluates the template's intrinsic functions as CloudFormation
// did when it created the stack, from the parameters and what was created.
type resolver struct {
	r        *checks
	physical map[string]string            // logical id → physical id
	attrs    map[string]map[string]string // logical id → attribute → value
}

// value resolves v: a literal, Ref, Fn::Sub, Fn::GetAtt, Fn::If; a branch
// that is AWS::NoValue resolves to nil.
func (z *resolver) value(v any) any {
	switch t := v.(type) {
	case []any:
		var out []any
		for _, e := range t {
			if x := z.value(e); x != nil {
				out = append(out, x)
			}
		}
		return out
	case map[string]any:
		if len(t) != 1 || !intrinsic(t) {
			out := map[string]any{}
			for k, e := range t {
				if x := z.value(e); x != nil {
					out[k] = x
				}
			}
			return out
		}
		for fn, arg := range t {
			switch fn {
			case "Ref":
				return z.ref(fmt.Sprint(arg))
			case "Fn::Sub":
				if a, ok := arg.([]any); ok && len(a) == 2 { // [template, {name: value}]
					vars, _ := z.value(a[1]).(map[string]any)
					return z.sub(fmt.Sprint(a[0]), vars)
				}
				return z.sub(fmt.Sprint(arg), nil)
			case "Fn::Select":
				a, _ := arg.([]any)
				if len(a) == 2 {
					list, _ := z.value(a[1]).([]any)
					if i, err := strconv.Atoi(fmt.Sprint(z.value(a[0]))); err == nil && i >= 0 && i < len(list) {
						return list[i]
					}
				}
			case "Fn::Split":
				a, _ := arg.([]any)
				if len(a) == 2 {
					var out []any
					for _, part := range strings.Split(fmt.Sprint(z.value(a[1])), fmt.Sprint(a[0])) {
						out = append(out, part)
					}
					return out
				}
			case "Fn::GetAtt":
				a, _ := arg.([]any)
				if len(a) == 2 {
					return z.attrs[fmt.Sprint(a[0])][fmt.Sprint(a[1])]
				}
			case "Fn::If":
				a, _ := arg.([]any)
				if len(a) == 3 {
					if z.condition(fmt.Sprint(a[0])) {
						return z.value(a[1])
					}
					return z.value(a[2])
				}
			}
		}
	}
	return v
}

func (z *resolver) ref(name string) any {
	switch name {
	case "AWS::NoValue":
		return nil
	case "AWS::StackName":
		return z.r.stack
	case "AWS::Region":
		return region
	case "AWS::AccountId":
		return account
	case "AWS::Partition":
		return "aws"
	case "AWS::URLSuffix":
		return "amazonaws.com"
	}
	if p, ok := z.r.parameters[name]; ok {
		if _, declared := z.r.cfn["Parameters"].(map[string]any)[name]; declared {
			return p
		}
	}
	return z.physical[name]
}

var subVar = regexp.MustCompile(`\$\{([^}]+)\}`)

// sub resolves Fn::Sub's ${…}: vars first, then attributes and Refs.
func (z *resolver) sub(s string, vars map[string]any) string {
	return subVar.ReplaceAllStringFunc(s, func(m string) string {
		name := m[2 : len(m)-1]
		if v, ok := vars[name]; ok {
			return fmt.Sprint(v)
		}
		if res, attr, ok := strings.Cut(name, "."); ok {
			return z.attrs[res][attr]
		}
		return fmt.Sprint(z.ref(name))
	})
}

// condition evaluates one of the template's Conditions.
func (z *resolver) condition(name string) bool {
	conds, _ := z.r.cfn["Conditions"].(map[string]any)
	return z.truth(conds[name])
}

func (z *resolver) truth(v any) bool {
	m, _ := v.(map[string]any)
	for fn, arg := range m {
		a, _ := arg.([]any)
		switch fn {
		case "Fn::Not":
			return len(a) == 1 && !z.truth(a[0])
		case "Fn::Equals":
			return len(a) == 2 && fmt.Sprint(z.value(a[0])) == fmt.Sprint(z.value(a[1]))
		case "Condition":
			return z.condition(fmt.Sprint(arg))
		}
	}
	return false
}

// intrinsic reports whether m is one intrinsic function call.
func intrinsic(m map[string]any) bool {
	for k := range m {
		return k == "Ref" || strings.HasPrefix(k, "Fn::")
	}
	return false
}
