// Package chart draws a digest's chart: hours per user as horizontal
// bars, stacked by project in the projects' Clockify colors, with labels
// in an embedded Japanese-capable font (NotoSansJP-Subset.otf, see its
// LICENSE), as a PNG.
//
// Must not import: message, discord, queue, deliver, schedule/digest,
// schedule/digest/report.
package chart
