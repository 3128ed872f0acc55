"""APIs that answer like services sites already call (Perspective, Akismet), scored synchronously here."""
