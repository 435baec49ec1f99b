-- The demo user: "demo" / "demo-password" (PBKDF2-HMAC-SHA256, see PasswordHasher).
INSERT INTO users (username, password_hash)
VALUES ('demo', 'pbkdf2-sha256$210000$Rb3TxJ63FGVIVaauzKVb7A==$Bjn7WLSCKpUSW0aW5/iXLzD3b4pITMjY1Tw0QO543QI=');
