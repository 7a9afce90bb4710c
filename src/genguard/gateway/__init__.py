"""An OpenAI-compatible images gateway that screens requests and outputs (docs/gateway.md)."""

from genguard.gateway.app import create_gateway
from genguard.gateway.config import AuthMode, GatewayConfig
from genguard.gateway.stamp import C2paStamper, ReceiptStamper, Stamped, Stamper

__all__ = ["AuthMode", "C2paStamper", "GatewayConfig", "ReceiptStamper", "Stamped", "Stamper", "create_gateway"]
