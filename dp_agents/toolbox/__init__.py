"""The User-space Service Toolbox: the functions data-plane plans are made of."""

from dp_agents.toolbox.catalog import TOOLBOX, toolbox_function
from dp_agents.toolbox.function import ResourceProfile, ServiceFunction, WasmKernel

__all__ = ["TOOLBOX", "toolbox_function", "ResourceProfile", "ServiceFunction", "WasmKernel"]
