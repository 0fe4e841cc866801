"""Operations: metrics for monitoring, key rotation and other operator tools."""
