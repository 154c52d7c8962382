// Command rehearse (make rehearse) rehearses the deploy the deploy guide (docs/deploy.md)
// describes, against moto, an AWS emulator, with no AWS account: it builds
// each function as sam build does and checks the artifacts, transforms
// template.yaml with AWS's own SAM translator and lints both templates,
// runs the guide's own commands, deploys the stack into moto's
// CloudFormation, and checks what was created against the template. What
// moto does not emulate is checked in the transformed template instead,
// and the output says so.
//
// Must not import: deliver, accept/relay, local, subcommand, settings.
package main
