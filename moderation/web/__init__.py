"""The moderation side's HTTP surface: the moderators' JSON API, the console, and the Perspective and Akismet drop-ins."""
