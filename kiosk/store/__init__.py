"""The encrypted SQLCipher store: keys, sealed templates, people, admins, audit, backup."""
