#pragma once
// Stable machine-readable error codes (docs/protocol.md, "Errors").
#include <string_view>

namespace parley::core {

enum class ErrorCode {
    BadJson,
    BadMessage,
    UnknownType,
    MissingField,
    InvalidField,
    UnsupportedVersion,
    InvalidRoom,
    InvalidName,
    UnsupportedFrame,
    NotJoined,
    AlreadyJoined,
    RoomFull,
    TargetNotFound,
    SelfTarget,
    NotHost,
    NotAdmitted,
    RoomLocked,
    QueueFull,
    NoFreeSeat,
    ResumeFailed,
    PasswordRequired,
    WrongPassword,
    TokenRequired,
    InvalidToken,
    ServerFull,
    RateLimited,
    TooManySeats,
    TooManyRooms,
    TooManyAttempts,
    NotForwarded,
    BadSdp,
    StaleOffer,
    MediaConnectionLost,
    RoomElsewhere,
    RoomMoving,
    Internal,
};

std::string_view toString(ErrorCode code);

}  // namespace parley::core
