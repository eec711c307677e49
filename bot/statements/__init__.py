"""Statements: approved testimonies turned into something a vendor, a consultation or a public portal can
read and trust. This layer gathers them (`aggregate`), splits their words into quotable passages
(`passages`) and holds the result as plain data (`model`) for the renderers to come. Nothing here leaves
the machine: no text is sent to any service."""
