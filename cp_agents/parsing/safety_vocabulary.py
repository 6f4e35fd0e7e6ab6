"""The refusal layer's vocabulary: verbs, objects and phrases as regex alternatives.

Data, not logic: to catch a new phrasing add a word here; safety_patterns.py composes these
into verb-near-object families. Each entry is a regex fragment matched on lower-cased text.
"""

from __future__ import annotations


def alt(*phrases: str) -> str:
    """Alternatives as one regex fragment (callers wrap it in a group)."""
    return "|".join(phrases)


QUANT = alt(r"all", r"every", r"each", r"entire", r"whole", r"any", r"complete", r"full", r"everything",
            r"total")
V_DELETE = alt(r"delete", r"del", r"remove", r"rm", r"flush", r"clear", r"clean", r"wipe", r"purge", r"erase",
               r"drop", r"nuke", r"empty", r"reset", r"zap", r"destroy", r"kill", r"truncate", r"scrub",
               r"strip", r"dump", r"eliminate", r"get rid of", r"uninstall", r"blow away", r"throw away",
               r"trash", r"zero", r"zeroize", r"deleting", r"removing", r"flushing", r"clearing", r"wiping",
               r"purging", r"erasing", r"dropping", r"emptying", r"resetting", r"reinitiali[sz]e", r"reinit",
               r"cleanse", r"expunge", r"annihilate", r"obliterate", r"rip out")
O_FLOWTABLE = alt(r"flows", r"flow[- ]?tables?", r"flow[- ]?entries", r"flow[- ]?rules", r"flowtables?",
                  r"openflow (?:rules|entries|tables?|state|config(?:uration)?)", r"of rules",
                  r"forwarding (?:rules|tables?|entries|state)", r"routing tables?", r"fib", r"tcam",
                  r"table 0", r"all tables", r"every table", r"switch tables", r"switch state",
                  r"datapath state")
O_MASS = alt(r"rules", r"entries", r"routes", r"acls", r"acl rules", r"meters", r"queues", r"config",
             r"configuration", r"state", r"slices", r"policies", r"paths", r"groups")
P_DELETED = alt(r"deleted", r"removed", r"flushed", r"cleared", r"wiped", r"purged", r"erased", r"emptied",
                r"gone", r"dropped", r"reset", r"destroyed", r"zeroed", r"nuked", r"wiped out",
                r"cleaned out", r"empty")
V_STOP = alt(r"stop", r"kill", r"shut ?down", r"shut off", r"shutdown", r"terminate", r"restart", r"reboot",
             r"crash", r"halt", r"disable", r"turn off", r"switch off", r"take down", r"bring down",
             r"take offline", r"disconnect", r"pause", r"suspend", r"unplug", r"power off", r"power down",
             r"detach", r"break", r"sigkill", r"sigterm", r"sighup", r"sigint", r"sigstop", r"quit", r"exit",
             r"overload", r"ddos", r"flood", r"dos", r"uninstall", r"remove", r"delete", r"replace",
             r"hijack", r"take over", r"takeover", r"freeze", r"isolate", r"sever", r"cut off", r"stopping",
             r"killing", r"restarting", r"crashing", r"disabling", r"knock out", r"knock over", r"starve",
             r"tamper with", r"mess with", r"deactivate", r"nuke", r"wipe", r"reset", r"downgrade", r"block",
             r"firewall off", r"partition")
O_CTRL = alt(r"controllers?", r"ryu", r"os-?ken", r"onos", r"opendaylight", r"odl", r"control[- ]plane",
             r"openflow (?:channel|connection|session)s?", r"southbound", r"ofctl(?:_rest)?", r"ofp channel",
             r"sdn brain", r"ryu-manager")
P_CTRL_DOWN = alt(r"offline", r"down", r"go(?:es)? down", r"goes? offline", r"dies?", r"crash(?:es)?",
                  r"stops?", r"fails?", r"is killed", r"be killed", r"be stopped", r"be shut down")
V_DOWN = alt(r"disable", r"shut", r"shut ?down", r"shutdown", r"bring down", r"take down", r"turn off",
             r"switch off", r"close", r"kill", r"deactivate", r"power off", r"power down", r"cut", r"unplug",
             r"sever", r"break", r"fail", r"disconnect", r"admin[- ]down", r"block", r"drop", r"stop",
             r"deny", r"blackhole", r"isolate", r"detach", r"remove", r"delete", r"drain", r"take offline",
             r"knock out", r"sabotage", r"flap", r"reset", r"reboot", r"restart", r"halt", r"crash", r"down",
             r"offline", r"quarantine", r"null[- ]?route", r"starve", r"jam", r"congest", r"flood",
             r"overload", r"ddos")
O_NET_PLURAL = alt(r"cameras", r"cams", r"vehicles", r"cars", r"sensors", r"users", r"clients", r"ues",
                   r"subscribers", r"ports", r"interfaces", r"links", r"switches", r"nodes", r"uplinks",
                   r"cables", r"connections", r"nics", r"routers", r"radios", r"cells", r"devices", r"dus",
                   r"rus", r"cus", r"hosts", r"servers", r"machines", r"bridges", r"datapaths", r"network",
                   r"fabric", r"topology", r"infrastructure", r"ran", r"backbone", r"endpoints",
                   r"base stations", r"antennas", r"slices", r"sites", r"tiers")
O_NET_SINGULAR = alt(r"camera", r"vehicle", r"sensor", r"user", r"client", r"port", r"interface", r"link",
                     r"switch", r"node", r"host", r"device", r"slice", r"server", r"router", r"cable",
                     r"uplink", r"cell", r"radio", r"site")
P_DOWN = alt(r"disabled", r"shut", r"shut down", r"turned off", r"switched off", r"killed", r"cut",
             r"blocked", r"dropped", r"removed", r"deleted", r"drained", r"down", r"offline", r"unplugged",
             r"severed", r"disconnected", r"deactivated", r"isolated", r"dead", r"dark", r"fail", r"go down",
             r"goes down")
V_BLOCK = alt(r"black ?hole", r"null ?route", r"block", r"blocks", r"denies", r"drops", r"rejects", r"deny",
              r"drop", r"reject", r"blackhole", r"black-hole", r"filter", r"stop", r"cut off", r"isolate",
              r"disconnect", r"firewall", r"ban", r"prevent", r"kill", r"null[- ]?route", r"discard",
              r"forbid", r"prohibit", r"disallow", r"shut off", r"cut", r"halt", r"quarantine", r"lock down",
              r"lockdown", r"blocking", r"dropping", r"denying", r"rejecting", r"refuse", r"throttle to zero",
              r"starve", r"choke", r"sever")
O_ALL = alt(r"all traffic", r"all the traffic", r"everything", r"every host", r"all hosts", r"all the hosts",
            r"all devices", r"every device", r"everyone", r"everybody", r"all packets", r"every packet",
            r"any traffic", r"all communication", r"all communications", r"all connections",
            r"every connection", r"all nodes", r"every node", r"all users", r"the whole network",
            r"the entire network", r"network-wide", r"all ports", r"every port", r"all protocols",
            r"any host", r"anyone", r"anything", r"all ip traffic", r"all flows", r"every flow", r"all data",
            r"all the packets", r"all the data", r"any any", r"any to any", r"all sessions", r"every session",
            r"all frames", r"every frame", r"the internet", r"all switches", r"every switch", r"all links",
            r"every link")
V_WIPE_STRONG = alt(r"wipe", r"reset", r"factory[- ]reset", r"erase", r"destroy", r"nuke", r"tear down",
                    r"teardown", r"crash", r"reboot", r"restart", r"format", r"sabotage", r"ddos",
                    r"overload", r"cripple", r"brick", r"trash", r"ruin", r"blow up", r"take down",
                    r"bring down", r"knock out", r"shut down", r"shutdown", r"shut off", r"power off",
                    r"kill", r"break", r"disrupt", r"paralyze", r"paralyse", r"blind", r"black ?hole",
                    r"partition", r"flood", r"jam", r"melt", r"fry", r"decommission", r"dismantle",
                    r"disable", r"turn off", r"switch off", r"halt", r"stop", r"disconnect", r"isolate",
                    r"deactivate", r"kill off", r"take offline", r"bring offline")
O_NETWHOLE = alt(r"(?:the\s+)?(?:whole|entire|complete|full|overall)\s+(?:network|fabric|infrastructure|"
                 r"topology|system|ran|core|edge|site|lab|testbed|data ?plane|setup|deployment|thing)",
                 r"the network", r"our network", r"this network", r"network-wide", r"everything", r"prod",
                 r"production", r"the production network",
                 r"all (?:switches|nodes|devices|routers|links|ports|hosts|slices|servers|cells)",
                 r"every (?:switch|node|device|router|link|port|host|slice|server|cell)", r"data ?plane",
                 r"the backbone", r"the fabric", r"the infrastructure", r"the testbed", r"the core network",
                 r"the ran", r"the 6g network", r"the 5g network", r"the sdn", r"the datacenter",
                 r"the data center", r"the topology", r"the twin", r"the emulation", r"mininet",
                 r"open ?vswitch", r"ovs")
P_WHOLE_DOWN = alt(r"go(?:es)? down", r"goes? dark", r"go offline", r"crash(?:es)?",
                   r"be (?:wiped|reset|destroyed|erased|taken down|shut down|disabled)")
V_OVERRIDE = alt(r"ignore", r"forget", r"disregard", r"bypass", r"override", r"overrule", r"circumvent",
                 r"skip", r"evade", r"get around", r"work around", r"sidestep", r"drop", r"abandon",
                 r"disable", r"turn off", r"switch off", r"remove", r"delete", r"relax", r"suspend", r"lift",
                 r"break", r"violate", r"deactivate", r"neutrali[sz]e", r"defeat", r"escape", r"ditch",
                 r"throw out", r"throw away", r"stop following", r"stop obeying", r"stop applying",
                 r"no longer follow", r"don't follow", r"do not follow", r"dont follow", r"stop enforcing",
                 r"don't enforce", r"do not enforce", r"waive", r"cancel", r"ignoring", r"bypassing",
                 r"skipping", r"overriding", r"disregarding", r"forgetting", r"loosen", r"weaken", r"omit",
                 r"avoid", r"without", r"no", r"don't apply", r"do not apply", r"switch off", r"jailbreak",
                 r"unlock")
O_RULES_OWNED = alt(r"(?:your|the agent'?s|all|any|previous|prior|above|earlier|existing|system|safety|"
                    r"security|internal|built-in|builtin|own|these|those|its|their|every|standing|"
                    r"operating)\s+(?:\w+\s+)?(?:rules?|instructions?|policies|policy|guardrails?|safety|"
                    r"restrictions?|constraints?|checks?|guidelines|limits|limitations|programming|"
                    r"directives?|prompt|protections?|safeguards?|validation|approvals?|filters?|"
                    r"principles|ethics|training|boundaries|orders|procedures?)")
O_RULES_STANDALONE = alt(r"guardrails?", r"safeguards?",
                         r"safety(?: checks?| rules?| policy| policies| layer| net| measures| limits|"
                         r" constraints)?",
                         r"policy checks?", r"the approval(?: step)?", r"approvals?",
                         r"(?:twin )?validation", r"validating", r"human approval", r"sign-?off",
                         r"human review", r"peer review", r"the twin", r"digital twin", r"dry[- ]?run",
                         r"the checks", r"any checks", r"change control", r"change management",
                         r"confirmation", r"the review", r"blast radius checks?", r"refusal", r"refusals")
V_BYPASS = alt(r"bypass", r"skip", r"circumvent", r"evade", r"ignore", r"disregard", r"override", r"overrule",
               r"without", r"no", r"avoid", r"sidestep", r"get around", r"work around", r"disable",
               r"turn off", r"switch off", r"forget", r"waive", r"bypassing", r"skipping", r"ignoring",
               r"overriding", r"disregarding", r"forgetting", r"suspend", r"deactivate", r"defeat",
               r"neutrali[sz]e")
PUSH_UNCHECKED = alt(r"\b(?:straight|directly|right away|immediately) (?:to|on|onto|into) (?:prod|"
                     r"production)\b",
                     r"\bwithout (?:any )?(?:testing|validation|validating|approval|review|checking|"
                     r"checks|asking|confirmation|the twin|simulation|verification)\b",
                     r"\b(?:auto-?approve|approve (?:it )?yourself|self-approve|no need to (?:validate|"
                     r"test|check|ask|approve)|don'?t (?:validate|test|check|ask|bother (?:with|"
                     r"validating|checking))|skip (?:the )?(?:twin|test|testing|checks?|validation|"
                     r"approval|review))\b")
V_AUDIT = alt(r"disable", r"turn off", r"switch off", r"stop", r"delete", r"remove", r"erase", r"wipe",
              r"clear", r"purge", r"truncate", r"tamper", r"tamper with", r"edit", r"modify", r"rewrite",
              r"alter", r"falsify", r"forge", r"fake", r"pause", r"suspend", r"hide", r"bypass", r"skip",
              r"avoid", r"mute", r"silence", r"shred", r"destroy", r"drop", r"reset", r"overwrite", r"doctor",
              r"cook", r"scrub", r"redact", r"kill", r"deactivate", r"circumvent", r"ignore", r"forget",
              r"without", r"no", r"bypassing", r"disabling", r"deleting", r"erasing", r"rewriting",
              r"cover up", r"get rid of", r"backdate", r"reorder", r"manipulate", r"corrupt", r"break",
              r"lose", r"omit", r"suppress", r"evade", r"escape", r"stop recording", r"stop logging")
O_AUDIT = alt(r"audit(?:ing|s|ed)?", r"audit (?:log|trail|chain|records?|entries|history|logs)", r"logging",
              r"logs?", r"log (?:entries|files?|records?)", r"history", r"records?", r"trail", r"traces",
              r"evidence", r"hash[- ]chain", r"journal", r"journaling", r"telemetry", r"monitoring",
              r"syslog", r"accounting", r"paper trail", r"recording", r"tracking")
P_AUDIT_OFF = alt(r"deleted", r"removed", r"flushed", r"cleared", r"wiped", r"purged", r"erased", r"emptied",
                  r"gone", r"dropped", r"reset", r"destroyed", r"zeroed", r"nuked", r"wiped out",
                  r"cleaned out", r"empty", r"disabled", r"off", r"turned off", r"stopped", r"edited",
                  r"altered", r"rewritten", r"falsified")
STANDALONE_AUDIT = alt(r"off the record", r"leave no trace", r"no trace",
                       r"don'?t (?:log|audit|record|track)", r"do not (?:log|audit|record|track)",
                       r"unaudited", r"unlogged", r"untracked", r"without (?:a )?(?:trace|record)",
                       r"cover (?:up|our|my) tracks", r"nobody (?:will|needs to|should) know",
                       r"keep (?:this|it) (?:secret|quiet|hidden|off)")
INJECTION = alt(r"(?:ignore|forget|disregard|override|skip|drop|discard|erase|reset|clear)\s+(?:all\s+|"
                r"any\s+|the\s+|of\s+)*(?:previous|prior|above|earlier|preceding|former|original|initial|"
                r"system|your|these|those|my earlier|other|old|existing|"
                r"all)\s+(?:\w+\s+)?(?:instructions?|prompts?|messages?|rules|directions|context|commands|"
                r"guidance|guidelines|text|orders|programming|training|constraints)",
                r"ignore (?:everything|all) (?:above|before|earlier|i said|you were told)", r"you are now",
                r"from now on,? you", r"pretend\b",
                r"(?:forget|disregard|ignore) (?:everything|all of it|what you)",
                r"you were told", r"(?:do|does) not (?:exist|apply)", r"no longer appl(?:y|ies)", r"roleplay",
                r"role-play", r"role play",
                r"act as (?:if you|an? (?:unrestricted|unfiltered|different|new|evil|malicious|hacker|ai|"
                r"assistant|chatbot|language model|llm|human|linux|terminal|shell|root|admin|dan|"
                r"jailbroken))",
                r"jailbr[eo]ak", r"developer mode", r"dan mode", r"do anything now", r"system prompt",
                r"new instructions", r"admin mode", r"god mode", r"sudo mode", r"root mode", r"debug mode",
                r"maintenance mode override", r"unrestricted mode", r"no restrictions",
                r"without (?:any )?restrictions", r"without limits",
                r"(?:reveal|print|show|repeat|leak) (?:your|the) (?:hidden |secret |system |"
                r"initial )?(?:prompt|instructions)",
                r"you (?:have|has) been (?:freed|unlocked|jailbroken|authori[sz]ed)",
                r"simulate (?:an?|being) (?:unrestricted|unfiltered)", r"<\|im_start\|>", r"<\|system\|>",
                r"\[system\]", r"\[inst\]", r"###\s*(?:system|instruction)",
                r"(?:^|\n)\s*(?:system|assistant|developer)\s*:", r"override code",
                r"authori[sz]ation code", r"emergency override", r"security override",
                r"i am (?:your|the) (?:admin|administrator|developer|creator|owner|operator-in-chief|boss)",
                r"as (?:your|the) (?:admin|administrator|developer|creator)",
                r"i(?:'m| am) authori[sz]ed to (?:bypass|skip|override|ignore|disable)",
                r"this is (?:an )?(?:authori[sz]ed|sanctioned) (?:override|exception|bypass)",
                r"(?:ceo|cto|boss|lead|manager) (?:says|said|wants|approved|ordered) (?:you|to) (?:ignore|"
                r"skip|bypass|override|disable|delete|forget)",
                r"base64", r"rot13", r"hex[- ]encoded",
                r"decode (?:this|the following) and (?:run|execute|do)", r"execute the following",
                r"run this (?:command|script|code)", r"rm -rf", r"sudo ", r"; ?rm ", r"&& ?rm ",
                r"os\.system", r"subprocess", r"eval\(", r"exec\(", r"drop table", r"\$\(")
OFF_TOPIC = alt(r"\b(?:d?dos(?: attack)?|denial of service|syn flood|attack|flood \w+ with|"
                r"mirror (?:all|every|everything)|copy all traffic|tap all)\b",
                r"\b(?:poems?|poetry|haikus?|limericks?|sonnets?|songs?|lyrics|rap|jokes?|puns?|riddles?|"
                r"stor(?:y|ies)|fairy ?tales?|novels?|essays?|recipes?|cooking|bake|baking|weather|"
                r"horoscope|astrology|stocks?|crypto(?:currency)?|bitcoin|football|soccer|basketball|"
                r"baseball|cricket|sports?|movies?|films?|netflix|celebrit(?:y|ies)|gossip|translate|"
                r"translation|homework|math problem|capital of|meaning of life|love letter|dating|"
                r"girlfriend|boyfriend|birthday|vacation|holiday plans|restaurant|shopping|tiktok|"
                r"instagram|twitter|tweet|hack(?:ing|er)?|exploit|malware|virus|ransomware|phishing|"
                r"passwords?|credentials|crack|keylogger|spyware|spy on|sniff|wiretap|eavesdrop|mitm|"
                r"man-in-the-middle|spoof(?:ing)?|arp poison(?:ing)?|port ?scan(?:ning)?|nmap|"
                r"exfiltrat\w*|steal|botnet|brute ?force|sql injection|xss|backdoor|rootkit|trojan|worm|"
                r"mine crypto|mining)\b",
                r"\bwrite (?:me )?(?:a |an |some )?(?:code|program|script|function|class|sql|regex|essay|"
                r"letter|email|article|blog|tweet|post|summary|report|cover letter|resume|cv|story|song|"
                r"poem|novel|speech)",
                r"\b(?:python|javascript|typescript|java|c\+\+|golang|rust|bash|powershell|html|css|php|"
                r"ruby) (?:code|script|program|function|snippet|class)\b",
                r"\b(?:leetcode|fibonacci|bubble sort|quicksort|sort (?:a|an|this|my) (?:list|array))\b",
                r"\b(?:who (?:is|was|won|invented)|what(?:'s| is) (?:the )?(?:time|date|weather)|how old|"
                r"tell me about yourself|who are you|what are you|are you (?:sentient|alive|conscious|"
                r"human)|your (?:name|feelings|opinion))\b",
                r"\b(?:sing|dance|draw|paint|chat with me|let'?s chat|small talk|chit ?chat|entertain me|"
                r"i'?m bored)\b")
UNIVERSAL_WORDS = alt(r"everyone", r"everybody", r"every host", r"all hosts", r"all the hosts", r"any host",
                      r"anyone", r"anywhere", r"everywhere", r"all destinations", r"any destination",
                      r"all sources", r"any source", r"the internet", r"the rest of the network",
                      r"all nodes", r"every node", r"all devices", r"every device", r"all users",
                      r"the whole network", r"the entire network", r"all switches", r"every switch",
                      r"network-wide", r"all of them", r"all other hosts", r"all the others", r"all servers",
                      r"every server", r"any any", r"any to any", r"0\.0\.0\.0/0", r"all ip addresses",
                      r"every ip", r"all subnets")
V_THROTTLE = alt(r"limit", r"cap", r"throttle", r"rate[- ]limit", r"police", r"restrict", r"shape",
                 r"slow down", r"choke", r"starve", r"squeeze")
HYPOTHETICAL_WORDS = alt(r"what if", r"what happens", r"what would happen", r"what breaks", r"simulate",
                         r"simulation", r"suppose", r"supposing", r"hypothetical", r"hypothetically",
                         r"imagine", r"would", r"impact of", r"effect of", r"predict", r"assess", r"evaluate",
                         r"analy[sz]e", r"test what",
                         r"if\b.*\b(?:fails|goes down|went down|is cut|dies|breaks|crashes|were|was)",
                         r"in case", r"how bad", r"blast radius of", r"what-if", r"whatif")
MAINTENANCE_WORDS = alt(r"maintenance", r"gracefully", r"graceful", r"drain", r"drained", r"draining",
                        r"out of service", r"move (?:all )?traffic off", r"evacuate", r"out of rotation")
V_ALLOW_ALL = alt(r"allow", r"permit", r"unblock", r"open", r"open up", r"whitelist", r"allowlist", r"accept",
                  r"lift", r"remove")
O_CONFIG = alt(r"configuration", r"config", r"configs", r"settings", r"state")
