#include "core/error_code.hpp"

namespace parley::core {

std::string_view toString(ErrorCode code) {
    switch (code) {
        case ErrorCode::BadJson: return "bad-json";
        case ErrorCode::BadMessage: return "bad-message";
        case ErrorCode::UnknownType: return "unknown-type";
        case ErrorCode::MissingField: return "missing-field";
        case ErrorCode::InvalidField: return "invalid-field";
        case ErrorCode::UnsupportedVersion: return "unsupported-version";
        case ErrorCode::InvalidRoom: return "invalid-room";
        case ErrorCode::InvalidName: return "invalid-name";
        case ErrorCode::UnsupportedFrame: return "unsupported-frame";
        case ErrorCode::NotJoined: return "not-joined";
        case ErrorCode::AlreadyJoined: return "already-joined";
        case ErrorCode::RoomFull: return "room-full";
        case ErrorCode::TargetNotFound: return "target-not-found";
        case ErrorCode::SelfTarget: return "self-target";
        case ErrorCode::NotHost: return "not-host";
        case ErrorCode::NotAdmitted: return "not-admitted";
        case ErrorCode::NotForwarded: return "not-forwarded";
        case ErrorCode::BadSdp: return "bad-sdp";
        case ErrorCode::StaleOffer: return "stale-offer";
        case ErrorCode::MediaConnectionLost: return "media-connection-lost";
        case ErrorCode::RoomElsewhere: return "room-elsewhere";
        case ErrorCode::RoomMoving: return "room-moving";
        case ErrorCode::RoomLocked: return "room-locked";
        case ErrorCode::QueueFull: return "queue-full";
        case ErrorCode::NoFreeSeat: return "no-free-seat";
        case ErrorCode::ResumeFailed: return "resume-failed";
        case ErrorCode::PasswordRequired: return "password-required";
        case ErrorCode::WrongPassword: return "wrong-password";
        case ErrorCode::TokenRequired: return "token-required";
        case ErrorCode::InvalidToken: return "invalid-token";
        case ErrorCode::ServerFull: return "server-full";
        case ErrorCode::RateLimited: return "rate-limited";
        case ErrorCode::TooManySeats: return "too-many-seats";
        case ErrorCode::TooManyRooms: return "too-many-rooms";
        case ErrorCode::TooManyAttempts: return "too-many-attempts";
        case ErrorCode::Internal: return "internal";
    }
    return "internal";
}

}  // namespace parley::core
