package settings

// Names are the environment's settings, as the usage lists them;
// TestEverySettingIsDocumented holds them to what Load reads.
var Names = []string{
	DiscordWebhookURL, SigningSecrets, DiscordPublicKey, DiscordBotToken, "(each of these four, or its _PARAMETER in SSM)",
	Routes, RouteWebhooks, "(or their _PARAMETER)",
	"MESSAGE_LANGUAGE", "MESSAGE_STYLE", "SESSION_MESSAGES", "LINKS", "BOARD", "LONG_TIMER_HOURS", "DIGEST", "DIGEST_TIME", "TIME_ZONE",
	"PORT", "DATA_DIR", "STATE_TABLE", "DELIVERY_QUEUE_URL", "DEAD_LETTER_QUEUE_URL",
	"DISCORD_APPLICATION_ID", "METRICS", "METRICS_NAMESPACE", "LOG_LEVEL",
}
