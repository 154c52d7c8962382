// Package deployment_test checks what is deployed, as deployed: the real
// bootstrap under the Lambda Runtime Interface Emulator with SSM (kumo) and
// Discord (the stand-in) on this machine; template.yaml, samconfig.toml and
// the sample events; and the whole process's speed (make bench).
package deployment_test
