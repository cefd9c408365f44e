# Face Kiosk lockdown: the kiosk account gets the supervised kiosk as its shell, not Explorer.
#
#   powershell -NoProfile -ExecutionPolicy Bypass -File kiosk_lockdown.ps1 -User NAME -Shell "CMD" [-Remove]
#
# Called by the installer (kiosk.nsi, /LOCKDOWN with /KIOSKUSER=NAME) and its uninstaller (-Remove).
# Run as an administrator. Exit codes: 0 done, 2 bad arguments or unknown account, 3 this Windows
# offers no way to do it (see docs/packaging.md, Lockdown), 4 the change failed (message on stderr).
#
# 1. Shell Launcher v2 (Windows 10/11 Enterprise, Education, IoT Enterprise): the optional feature
#    Client-EmbeddedShellLauncher is enabled if needed, then WESL_UserSetting gives the account the
#    kiosk as its shell; every other account keeps Explorer. When the shell exits, nothing is done
#    (action 3): the operator's exit with the PIN leaves a blank screen, Ctrl+Alt+Del signs out.
#    Crashes and hangs are the supervisor's (kiosk supervise), which this shell is.
# 2. Elsewhere (Windows Pro: no Shell Launcher, and Assigned Access there runs only UWP apps or
#    Edge), the per-user Winlogon "Shell" value in the account's own registry hive, the documented
#    legacy replacement shell. The hive must exist: the account must have logged on once.

param(
    [Parameter(Mandatory = $true)][string]$User,
    [string]$Shell = "",
    [switch]$Remove
)

$ErrorActionPreference = "Stop"
$Namespace = "root\standardcimv2\embedded"
$DoNothing = 3  # Shell Launcher's action when the shell exits: 0 restart it, 1 restart, 2 shut down, 3 nothing
$WinlogonKey = "Software\Microsoft\Windows NT\CurrentVersion\Winlogon"

function Fail([int]$code, [string]$message) {
    [Console]::Error.WriteLine("kiosk lockdown: $message")
    exit $code
}

try {
    $sid = (New-Object System.Security.Principal.NTAccount($User)).Translate([System.Security.Principal.SecurityIdentifier]).Value
} catch {
    Fail 2 "no account named '$User' on this PC (create the local kiosk account first)"
}
if (-not $Remove -and $Shell -eq "") {
    Fail 2 "give the kiosk's command line with -Shell"
}

function Get-ShellLauncher {
    $class = Get-CimClass -Namespace $Namespace -ClassName WESL_UserSetting -ErrorAction SilentlyContinue
    if ($null -ne $class) { return [wmiclass]"\\.\$($Namespace):WESL_UserSetting" }
    if ($Remove) { return $null }
    $feature = Get-WindowsOptionalFeature -Online -FeatureName Client-EmbeddedShellLauncher -ErrorAction SilentlyContinue
    if ($null -eq $feature) { return $null }  # not offered by this edition
    if ($feature.State -ne "Enabled") {
        Enable-WindowsOptionalFeature -Online -FeatureName Client-EmbeddedShellLauncher -NoRestart | Out-Null
    }
    $class = Get-CimClass -Namespace $Namespace -ClassName WESL_UserSetting -ErrorAction SilentlyContinue
    if ($null -eq $class) { return $null }
    return [wmiclass]"\\.\$($Namespace):WESL_UserSetting"
}

# The account's HKEY_USERS hive: already loaded while it is logged on, else loaded from its NTUSER.DAT.
function Invoke-InUserHive([scriptblock]$action) {
    $loaded = Test-Path "Registry::HKEY_USERS\$sid"
    $mount = "HKU\FaceKioskLockdown"
    $root = "Registry::HKEY_USERS\$sid"
    if (-not $loaded) {
        $profilePath = (Get-ItemProperty "HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList\$sid" -ErrorAction SilentlyContinue).ProfileImagePath
        if (-not $profilePath -or -not (Test-Path "$profilePath\NTUSER.DAT")) {
            Fail 3 "'$User' has no profile yet: log on as '$User' once, then run this again"
        }
        & reg.exe load $mount "$profilePath\NTUSER.DAT" | Out-Null
        if ($LASTEXITCODE -ne 0) { Fail 4 "cannot load the registry of '$User' (is it logged on elsewhere?)" }
        $root = "Registry::HKEY_USERS\FaceKioskLockdown"
    }
    try {
        & $action "$root\$WinlogonKey"
    } finally {
        if (-not $loaded) {
            [gc]::Collect()
            & reg.exe unload $mount | Out-Null
        }
    }
}

try {
    $launcher = Get-ShellLauncher
    if ($null -ne $launcher) {
        try { $launcher.RemoveCustomShell($sid) | Out-Null } catch { }  # none set yet
        if (-not $Remove) {
            $launcher.SetDefaultShell("explorer.exe", $DoNothing) | Out-Null
            $launcher.SetCustomShell($sid, $Shell, $null, $null, $DoNothing) | Out-Null
            $launcher.SetEnabled($true) | Out-Null
            Write-Output "Shell Launcher: '$User' now signs in to the kiosk ($Shell); other accounts keep Explorer"
        } else {
            Write-Output "Shell Launcher: '$User' signs in to Explorer again"
        }
        exit 0
    }
    if ($Remove) {
        Invoke-InUserHive { param($key) Remove-ItemProperty -Path $key -Name Shell -ErrorAction SilentlyContinue }
        Write-Output "'$User' signs in to Explorer again"
        exit 0
    }
    Invoke-InUserHive {
        param($key)
        if (-not (Test-Path $key)) { New-Item -Path $key -Force | Out-Null }
        Set-ItemProperty -Path $key -Name Shell -Value $Shell
    }
    Write-Output "no Shell Launcher on this edition: '$User' gets the kiosk as its shell through its Winlogon Shell value"
    exit 0
} catch {
    Fail 4 $_.Exception.Message
}
